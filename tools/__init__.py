"""Development tools that are not part of the engine: builder/ assembles and serves dist/ (build.py)."""
