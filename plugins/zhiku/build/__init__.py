"""What a build remembers between runs, the keys it remembers it by, and what it decides
from them (no MkDocs here).

:mod:`zhiku.build.keys` says what a stored value depends on besides its inputs (one
digest, one code version, the versions of the packages a build runs); :mod:`zhiku.build.store`
keeps every value in one SQLite file, ``.cache/zhiku/build.sqlite``;
:mod:`zhiku.build.ledger` records, per output, the named inputs it was built from, and
decides what the next build rebuilds, keeps or removes, and why.
"""
