"""The missions app's REST resources: the reference catalogue (functions, UN entities)."""
