"""Data files of the catalogues, and `sources.json`, which says where each comes from.

A package of its own so that setuptools ships the files with the wheel (package data is taken
from packages only) and `importlib.resources` finds them wherever the code is installed.
"""
