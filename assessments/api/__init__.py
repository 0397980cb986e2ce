"""The assessments app's REST resources: missions with their assessments and integration
profiles, assessments (read, written with ETags, submitted) and their recommendations."""
