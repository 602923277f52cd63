-- Revert pgattest:_pgattest/define_py_function from pg

BEGIN;

DROP FUNCTION _pgattest.refresh_py_functions();
DROP FUNCTION _pgattest.define_py_function(text, text, text, text);
DROP FUNCTION _pgattest.py_function_body(text, text[]);
DROP FUNCTION _pgattest.pylib_version();

COMMIT;
