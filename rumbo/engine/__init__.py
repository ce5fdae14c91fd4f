"""Rumbo's planning engine: plain Python and numpy, no Django, no I/O, no global state.

Problems come in as frozen dataclasses of arrays, results go out as dataclasses; randomness only
through a `seed`, time limits only through a stopping criterion (`rumbo.engine.stop`).
"""
