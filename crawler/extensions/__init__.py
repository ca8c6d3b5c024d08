"""Scrapy extensions: components that watch the crawl through signals."""
