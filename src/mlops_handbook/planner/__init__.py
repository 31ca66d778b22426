"""What a student plans with: the course calendar, today's session, the checklist, progress.

Kept free of imports so that :mod:`..data` can use :mod:`.checks` without a cycle; the
extension registers everything through :func:`.setup.setup_planner`.
"""
