"""Read and claim queries shared by the services and the desk. Plain SQLAlchemy, no Qt."""
