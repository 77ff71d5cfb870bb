"""Business logic between the HTTP layer and the database, queue and libraries."""
