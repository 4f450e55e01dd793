"""The composition root's parts, one per feature; `chalicelib.bootstrap.Container` joins them."""
