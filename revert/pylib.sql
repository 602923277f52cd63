-- Revert pgattest:pylib (the rework after v0.2.1; the previous one is pylib@v0.2.0) from pg
-- Reverting re-installs the library as released in v0.2.0 (and v0.2.1), whose deploy script ends by
-- re-creating every PL/Python function with that library. (Its verify_completions is
-- unchanged; it lacks verify_stored_completions, which only the completion after v0.2.1
-- calls, and that change is reverted before this one.)

\ir ../deploy/pylib@v0.2.0.sql
