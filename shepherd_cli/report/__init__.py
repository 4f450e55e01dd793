"""`shepherd report`: one self-contained HTML page of a group's life (model, collect, chart, timeline, page)."""
