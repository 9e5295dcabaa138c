"""`infraforge diff`: what a change to the catalog does to the rendered tree, semantically."""
