"""The web layer, one module per feature: banners (form, pages, downloads), api, i18n, errors."""
