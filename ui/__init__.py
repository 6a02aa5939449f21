"""Shared widgets, number formats, labels and figure builders for the pages."""
