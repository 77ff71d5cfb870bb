"""The web workbench: server-rendered pages over the same services the API uses.

``routes`` gives ``app.py`` the routes, the template engine and the offline API docs;
``sessions`` and ``access`` sign people in and check every post; one module per page group.
"""
