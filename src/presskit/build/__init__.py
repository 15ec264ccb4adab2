"""The build: the pipeline, what to render again, the manifest, the render workers and atomic publication."""
