"""What a build remembers between runs, and the keys it remembers it by (no MkDocs here).

:mod:`zhiku.build.keys` says what a stored value depends on besides its inputs (one
digest, one code version, the versions of the packages a build runs); :mod:`zhiku.build.store`
keeps every value in one SQLite file, ``.cache/zhiku/build.sqlite``.
"""
