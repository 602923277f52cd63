-- Revert pgattest:pylib (the rework after v0.1.0) from pg
-- Reverting re-installs the library as released in v0.1.0, whose deploy script ends by
-- re-creating every PL/Python function with that library.

\ir ../deploy/pylib@v0.1.0.sql
