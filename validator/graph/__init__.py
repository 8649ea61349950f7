"""The plan as a graph: backbone failure trees, tiers, paths, load and rendering.

``analyse_plan(plan)`` (in :mod:`validator.graph.analysis`) is the entry point: a pure
function of the plan, which the rules' Context caches and the report summaries read;
``ccv graph`` lives in :mod:`validator.graph.cli`.
"""
