"""For tools that still build eggs, such as ``scrapyd-deploy``: everything about the
package (packages, their folders, the ``scrapy`` settings entry point) is in pyproject.toml.
Without this file scrapyd-deploy writes its own, which finds no ``learngraph`` package."""

from setuptools import setup

setup()
