"""The reports app's REST resources: report jobs and their files (/api/v1/reports/)."""
