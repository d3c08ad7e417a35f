"""Training and evaluation of the classifier (offline, `jajak train` / `jajak eval`).

Nothing here runs inside a crawl; scikit-learn is imported only while fitting.
"""
