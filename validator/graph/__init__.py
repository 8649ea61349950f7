"""The plan as a graph: backbone failure trees, tiers, paths, load and rendering.

``analysis(ctx)`` (in :mod:`validator.graph.analysis`) is the entry point the rules and
the report summaries share; ``ccv graph`` lives in :mod:`validator.graph.cli`.
"""
