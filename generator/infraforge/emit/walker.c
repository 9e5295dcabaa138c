/* The YAML emitter's walk over a document, in C: emit/walk.py's _emit_mapping,
 * _emit_sequence and _emit_value, step for step, writing into one growing byte buffer.
 *
 * Why C: emitting was 45% of rendering a unit even compiled by mypyc. Almost all of it is
 * layout -- walking dicts and lists, looking keys and values up in the emitter's caches, copying
 * the cached text -- and that is what this file does. Every decision about how a scalar or a key
 * is written stays in emit/scalars.py: a value the cache does not know yet, a float, an unusual type or
 * a new key layout is handed back to it (Walker's callbacks), which also fills the caches this
 * walk reads. So the quoting rules have one source, and this file cannot change what is safe.
 *
 * Built by `make native` (infraforge/native/build.py) and used only while it matches this source;
 * tests/test_native.py checks it emits exactly what the Python walk emits.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#ifndef SOURCE_DIGEST
#error "build with -DSOURCE_DIGEST=\"<sha256 of this file>\" (infraforge/native/build.py)"
#endif

typedef struct {
    PyObject_HEAD
    PyObject *values;      /* dict: str -> its text after "key:" or "-", e.g. " web\n" */
    PyObject *layouts;     /* dict: a mapping's keys (tuple) -> ((key, "key:"), ...) in order */
    PyObject *layout_miss; /* (keys, pad) -> the pairs, for layouts not cached yet */
    PyObject *scalar_text; /* (value, indent) -> its text, for a str not cached or a float */
    PyObject *coerce;      /* value -> the exact base type it stands for (or TypeError) */
    PyObject *as_document; /* object -> the dict to emit as a document (or TypeError) */
} Walker;

typedef struct {
    char *data;
    Py_ssize_t size, capacity;
} Buffer;

static int grow(Buffer *out, Py_ssize_t more) {
    Py_ssize_t capacity = out->capacity ? out->capacity : 8192;
    while (capacity < out->size + more) {
        capacity *= 2;
    }
    char *data = PyMem_Realloc(out->data, (size_t)capacity);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    out->data = data;
    out->capacity = capacity;
    return 0;
}

static inline int put(Buffer *out, const char *text, Py_ssize_t size) {
    if (out->size + size > out->capacity && grow(out, size) < 0) {
        return -1;
    }
    memcpy(out->data + out->size, text, (size_t)size);
    out->size += size;
    return 0;
}

#define PUT_LITERAL(out, text) put((out), (text), (Py_ssize_t)sizeof(text) - 1)

static inline int put_str(Buffer *out, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "emitter text must be str, got %.100s",
                     Py_TYPE(text)->tp_name);
        return -1;
    }
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &size); /* ASCII: no copy */
    return utf8 == NULL ? -1 : put(out, utf8, size);
}

static inline int put_pad(Buffer *out, Py_ssize_t indent) {
    if (out->size + indent > out->capacity && grow(out, indent) < 0) {
        return -1;
    }
    memset(out->data + out->size, ' ', (size_t)indent);
    out->size += indent;
    return 0;
}

/* " <decimal>\n", as Python's f" {v}\n" writes an int. */
static int put_int(Buffer *out, PyObject *number) {
    int overflow;
    long long value = PyLong_AsLongLongAndOverflow(number, &overflow);
    if (value == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (!overflow) {
        char text[32];
        int size = snprintf(text, sizeof text, " %lld\n", value);
        return put(out, text, size);
    }
    PyObject *digits = PyObject_Str(number);
    if (digits == NULL) {
        return -1;
    }
    int failed = PUT_LITERAL(out, " ") < 0 || put_str(out, digits) < 0 || PUT_LITERAL(out, "\n") < 0;
    Py_DECREF(digits);
    return failed ? -1 : 0;
}

static int walk_mapping(Walker *self, Buffer *out, PyObject *mapping, Py_ssize_t indent);
static int walk_sequence(Walker *self, Buffer *out, PyObject *sequence, Py_ssize_t indent);
static int walk_value(Walker *self, Buffer *out, PyObject *value, Py_ssize_t child, int compact);

/* The cached text of an exact str, borrowed; NULL if not cached (or on error: check). */
static inline PyObject *cached_text(Walker *self, PyObject *value) {
    return PyUnicode_CheckExact(value) ? PyDict_GetItemWithError(self->values, value) : NULL;
}

/* The (key, "key:") pairs of `mapping` in the order they are written (a new reference). */
static PyObject *layout_of(Walker *self, PyObject *mapping, Py_ssize_t indent) {
    Py_ssize_t position = 0, index = 0;
    PyObject *key, *value;
    PyObject *keys = PyTuple_New(PyDict_GET_SIZE(mapping));
    if (keys == NULL) {
        return NULL;
    }
    while (PyDict_Next(mapping, &position, &key, &value)) {
        Py_INCREF(key);
        PyTuple_SET_ITEM(keys, index++, key);
    }
    PyObject *pairs = PyDict_GetItemWithError(self->layouts, keys);
    if (pairs != NULL) {
        Py_INCREF(pairs);
    } else if (!PyErr_Occurred()) {
        PyObject *pad = PyUnicode_New(indent, 127);
        if (pad != NULL) {
            memset(PyUnicode_1BYTE_DATA(pad), ' ', (size_t)indent);
            pairs = PyObject_CallFunctionObjArgs(self->layout_miss, keys, pad, NULL);
            Py_DECREF(pad);
        }
    }
    Py_DECREF(keys);
    if (pairs != NULL && !PyTuple_CheckExact(pairs)) {
        PyErr_SetString(PyExc_TypeError, "layout_miss must return a tuple of (key, text) pairs");
        Py_CLEAR(pairs);
    }
    return pairs;
}

static int walk_pair(Walker *self, Buffer *out, PyObject *mapping, PyObject *pair,
                     Py_ssize_t indent) {
    if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2) {
        PyErr_SetString(PyExc_TypeError, "a layout pair must be a (key, text) tuple");
        return -1;
    }
    if (put_str(out, PyTuple_GET_ITEM(pair, 1)) < 0) {
        return -1;
    }
    PyObject *value = PyDict_GetItemWithError(mapping, PyTuple_GET_ITEM(pair, 0));
    if (value == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetObject(PyExc_KeyError, PyTuple_GET_ITEM(pair, 0));
        }
        return -1;
    }
    PyObject *text = cached_text(self, value);
    if (text != NULL) {
        return put_str(out, text);
    }
    if (PyErr_Occurred()) {
        return -1;
    }
    Py_INCREF(value); /* a callback below may run arbitrary code */
    int result;
    if (PyDict_CheckExact(value) && PyDict_GET_SIZE(value) > 0) {
        result = PUT_LITERAL(out, "\n") < 0 || put_pad(out, indent + 2) < 0
                     ? -1 : walk_mapping(self, out, value, indent + 2);
    } else if (PyLong_CheckExact(value)) {
        result = put_int(out, value);
    } else {
        result = walk_value(self, out, value, indent + 2, 0);
    }
    Py_DECREF(value);
    return result;
}

/* `mapping` (an exact, non-empty dict) at `indent`; its first line's lead is already written. */
static int walk_mapping(Walker *self, Buffer *out, PyObject *mapping, Py_ssize_t indent) {
    if (Py_EnterRecursiveCall(" while emitting YAML")) {
        return -1;
    }
    PyObject *pairs = layout_of(self, mapping, indent);
    int result = pairs == NULL ? -1 : 0;
    for (Py_ssize_t index = 0; result == 0 && index < PyTuple_GET_SIZE(pairs); index++) {
        if (index > 0 && put_pad(out, indent) < 0) {
            result = -1;
        } else {
            result = walk_pair(self, out, mapping, PyTuple_GET_ITEM(pairs, index), indent);
        }
    }
    Py_XDECREF(pairs);
    Py_LeaveRecursiveCall();
    return result;
}

static int walk_item(Walker *self, Buffer *out, PyObject *item, Py_ssize_t indent) {
    PyObject *text = cached_text(self, item);
    if (text != NULL) {
        return PUT_LITERAL(out, "-") < 0 ? -1 : put_str(out, text);
    }
    if (PyErr_Occurred()) {
        return -1;
    }
    if (PyDict_CheckExact(item) && PyDict_GET_SIZE(item) > 0) {
        return PUT_LITERAL(out, "- ") < 0 ? -1 : walk_mapping(self, out, item, indent + 2);
    }
    return PUT_LITERAL(out, "-") < 0 ? -1 : walk_value(self, out, item, indent + 2, 1);
}

/* `sequence` (an exact, non-empty list or tuple) with its dashes at `indent`. */
static int walk_sequence(Walker *self, Buffer *out, PyObject *sequence, Py_ssize_t indent) {
    if (Py_EnterRecursiveCall(" while emitting YAML")) {
        return -1;
    }
    PyObject *items = PySequence_Fast(sequence, "a list or tuple"); /* a list may change size */
    int result = items == NULL ? -1 : 0;
    for (Py_ssize_t index = 0; result == 0 && index < PySequence_Fast_GET_SIZE(items); index++) {
        if (index > 0 && put_pad(out, indent) < 0) {
            result = -1;
        } else {
            result = walk_item(self, out, PySequence_Fast_GET_ITEM(items, index), indent);
        }
    }
    Py_XDECREF(items);
    Py_LeaveRecursiveCall();
    return result;
}

static int walk_container(Walker *self, Buffer *out, PyObject *value, Py_ssize_t child,
                          int compact) {
    int is_dict = PyDict_CheckExact(value);
    if (PyObject_Length(value) == 0) {
        return is_dict ? PUT_LITERAL(out, " {}\n") : PUT_LITERAL(out, " []\n");
    }
    /* compact: a sequence item's mapping or list starts on the dash's own line */
    if (compact ? PUT_LITERAL(out, " ") < 0
                : PUT_LITERAL(out, "\n") < 0 || put_pad(out, child) < 0) {
        return -1;
    }
    return is_dict ? walk_mapping(self, out, value, child) : walk_sequence(self, out, value, child);
}

static int put_from_python(Buffer *out, PyObject *callback, PyObject *value, Py_ssize_t child) {
    PyObject *indent = PyLong_FromSsize_t(child);
    if (indent == NULL) {
        return -1;
    }
    PyObject *text = PyObject_CallFunctionObjArgs(callback, value, indent, NULL);
    Py_DECREF(indent);
    if (text == NULL) {
        return -1;
    }
    int result = put_str(out, text);
    Py_DECREF(text);
    return result;
}

/* `value` after its head ("key:" or "-"), nested content at `child`. */
static int walk_value(Walker *self, Buffer *out, PyObject *value, Py_ssize_t child, int compact) {
    if (PyDict_CheckExact(value) || PyList_CheckExact(value) || PyTuple_CheckExact(value)) {
        return walk_container(self, out, value, child, compact);
    }
    if (PyUnicode_CheckExact(value) || PyFloat_CheckExact(value)) {
        return put_from_python(out, self->scalar_text, value, child);
    }
    if (value == Py_True) {
        return PUT_LITERAL(out, " true\n");
    }
    if (value == Py_False) {
        return PUT_LITERAL(out, " false\n");
    }
    if (PyLong_CheckExact(value)) {
        return put_int(out, value);
    }
    if (value == Py_None) {
        return PUT_LITERAL(out, " null\n");
    }
    PyObject *base = PyObject_CallOneArg(self->coerce, value);
    if (base == NULL) {
        return -1;
    }
    int result = Py_TYPE(base) == Py_TYPE(value)
                     ? (PyErr_SetString(PyExc_TypeError, "coerce returned the same type"), -1)
                     : walk_value(self, out, base, child, compact);
    Py_DECREF(base);
    return result;
}

static int walk_document(Walker *self, Buffer *out, PyObject *document) {
    PyObject *mapping = PyDict_CheckExact(document)
                            ? Py_NewRef(document)
                            : PyObject_CallOneArg(self->as_document, document);
    if (mapping == NULL) {
        return -1;
    }
    int result;
    if (!PyDict_CheckExact(mapping)) {
        PyErr_SetString(PyExc_TypeError, "as_document must return a dict");
        result = -1;
    } else if (PyDict_GET_SIZE(mapping) == 0) {
        result = PUT_LITERAL(out, "{}\n");
    } else {
        result = walk_mapping(self, out, mapping, 0);
    }
    Py_DECREF(mapping);
    return result;
}

static PyObject *finish(Buffer *out, int failed) {
    PyObject *text = failed ? NULL : PyUnicode_DecodeUTF8(out->data ? out->data : "", out->size,
                                                          "strict");
    PyMem_Free(out->data);
    return text;
}

static int check_ready(Walker *self) {
    if (self->values == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Walker was not initialised");
        return -1;
    }
    return 0;
}

static PyObject *Walker_dump_document(Walker *self, PyObject *document) {
    if (check_ready(self) < 0) {
        return NULL;
    }
    Buffer out = {NULL, 0, 0};
    return finish(&out, walk_document(self, &out, document) < 0);
}

static PyObject *Walker_dump_documents(Walker *self, PyObject *documents) {
    PyObject *iterator = check_ready(self) < 0 ? NULL : PyObject_GetIter(documents);
    if (iterator == NULL) {
        return NULL;
    }
    Buffer out = {NULL, 0, 0};
    int failed = 0, first = 1;
    PyObject *document;
    while (!failed && (document = PyIter_Next(iterator)) != NULL) {
        failed = (!first && PUT_LITERAL(&out, "---\n") < 0) || walk_document(self, &out, document) < 0;
        first = 0;
        Py_DECREF(document);
    }
    Py_DECREF(iterator);
    return finish(&out, failed || PyErr_Occurred());
}

static int Walker_init(Walker *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"values", "layouts", "layout_miss", "scalar_text", "coerce",
                            "as_document", NULL};
    PyObject *values, *layouts, *layout_miss, *scalar_text, *coerce, *as_document;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!O!OOOO", names, &PyDict_Type, &values,
                                     &PyDict_Type, &layouts, &layout_miss, &scalar_text, &coerce,
                                     &as_document)) {
        return -1;
    }
    Py_XSETREF(self->values, Py_NewRef(values));
    Py_XSETREF(self->layouts, Py_NewRef(layouts));
    Py_XSETREF(self->layout_miss, Py_NewRef(layout_miss));
    Py_XSETREF(self->scalar_text, Py_NewRef(scalar_text));
    Py_XSETREF(self->coerce, Py_NewRef(coerce));
    Py_XSETREF(self->as_document, Py_NewRef(as_document));
    return 0;
}

static int Walker_traverse(Walker *self, visitproc visit, void *arg) {
    Py_VISIT(self->values);
    Py_VISIT(self->layouts);
    Py_VISIT(self->layout_miss);
    Py_VISIT(self->scalar_text);
    Py_VISIT(self->coerce);
    Py_VISIT(self->as_document);
    return 0;
}

static int Walker_clear(Walker *self) {
    Py_CLEAR(self->values);
    Py_CLEAR(self->layouts);
    Py_CLEAR(self->layout_miss);
    Py_CLEAR(self->scalar_text);
    Py_CLEAR(self->coerce);
    Py_CLEAR(self->as_document);
    return 0;
}

static void Walker_dealloc(Walker *self) {
    PyObject_GC_UnTrack(self);
    Walker_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef Walker_methods[] = {
    {"dump_document", (PyCFunction)Walker_dump_document, METH_O,
     "One mapping as a YAML document ending in a newline."},
    {"dump_documents", (PyCFunction)Walker_dump_documents, METH_O,
     "A multi-document stream: '---' between documents, '' for none."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject WalkerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "infraforge_emit_walker.Walker",
    .tp_doc = "Walks documents with scalars.py's caches, asking it what the caches lack.",
    .tp_basicsize = sizeof(Walker),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Walker_init,
    .tp_traverse = (traverseproc)Walker_traverse,
    .tp_clear = (inquiry)Walker_clear,
    .tp_dealloc = (destructor)Walker_dealloc,
    .tp_methods = Walker_methods,
};

static struct PyModuleDef walker_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "infraforge_emit_walker",
    .m_doc = "The YAML emitter's walk in C (emit/walker.c).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit_infraforge_emit_walker(void) {
    if (PyType_Ready(&WalkerType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&walker_module);
    if (module == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(module, "Walker", (PyObject *)&WalkerType) < 0
        || PyModule_AddStringConstant(module, "SOURCE_DIGEST", SOURCE_DIGEST) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
