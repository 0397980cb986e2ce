"""Renderers: report data in, bytes out (HTML, PDF, XLSX). No database access here."""
