"""What the newsroom shows: release views, templates, listings, feeds, sitemap, link previews, embargoed copies."""
