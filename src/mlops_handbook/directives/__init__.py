"""Directives and roles that turn the course data into format-neutral docutils nodes."""
