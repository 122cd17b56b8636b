#!/usr/bin/env python3
"""Assemble the static site in dist/ and serve it: `python build.py build|serve` (see --help).

The build lives in tools/builder/ (its __init__.py runs the steps in order)."""

import sys

from tools.builder import main

if __name__ == "__main__":
    sys.exit(main())
