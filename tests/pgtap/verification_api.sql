-- The verification functions' SQL contract: names and signatures, volatility,
-- strictness, parallel safety, privileges, and the SQLSTATE of each kind of bad input.
BEGIN;
SELECT plan(72);

CREATE TEMP TABLE api (fn text, args text[]) ON COMMIT DROP;
INSERT INTO api VALUES
    ('rfc6962_leaf_hash', ARRAY['bytea']),
    ('rfc6962_node_hash', ARRAY['bytea', 'bytea']),
    ('verify_inclusion', ARRAY['bytea', 'bigint', 'bigint', 'bytea[]', 'bytea']),
    ('verify_consistency', ARRAY['bigint', 'bigint', 'bytea', 'bytea', 'bytea[]']),
    ('parse_checkpoint', ARRAY['text']),
    ('verify_checkpoint', ARRAY['text', 'text']),
    ('verify_checkpoint', ARRAY['text', 'text', 'text']),
    ('verify_checkpoint', ARRAY['text', 'text', 'text', 'text']),
    ('verify_tlog_entry', ARRAY['jsonb', 'jsonb']),
    ('verify_tlog_entry', ARRAY['jsonb', 'jsonb', 'boolean', 'timestamptz']),
    ('dsse_pae', ARRAY['text', 'bytea']),
    ('verify_dsse', ARRAY['jsonb', 'text']),
    ('canonical_json', ARRAY['text']),
    ('content_id', ARRAY['text']);

SELECT has_function('proofchain', fn, args, format('proofchain.%s(%s) exists', fn, array_to_string(args, ', ')))
  FROM api;

SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'proofchain' AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'plpython3u')
              AND NOT (p.provolatile = 'i' AND p.proisstrict AND p.proparallel = 's')),
          0, 'every PL/Python function in proofchain is IMMUTABLE, STRICT and PARALLEL SAFE');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'proofchain' AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'plpython3u')),
          13, 'the thirteen verification functions are PL/Python (verify_tlog_entry''s four-argument form is SQL over one)');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'proofchain' AND obj_description(p.oid, 'pg_proc') IS NULL),
          0, 'every proofchain function has a COMMENT');
SELECT ok(bool_and(has_function_privilege('pgattest_app', format('proofchain.%s(%s)', fn, array_to_string(args, ',')), 'EXECUTE')),
          'pgattest_app may execute every verification function') FROM api;

-- STRICT: NULL in, NULL out.
SELECT is(proofchain.verify_inclusion(NULL, 0, 1, '{}', NULL), NULL, 'verify_inclusion: NULL in, NULL out');
SELECT is(proofchain.content_id(NULL), NULL, 'content_id: NULL in, NULL out');
SELECT is(proofchain.verify_tlog_entry(NULL, '{}'), NULL, 'verify_tlog_entry: NULL in, NULL out');
SELECT is(proofchain.verify_tlog_entry(NULL, '{}', true, now()), NULL, 'verify_tlog_entry (four arguments): NULL in, NULL out');

-- Fixtures: a two-leaf tree.
CREATE TEMP TABLE t AS
SELECT proofchain.rfc6962_leaf_hash('a') AS l0, proofchain.rfc6962_leaf_hash('b') AS l1;
ALTER TABLE t ADD COLUMN root bytea;
UPDATE t SET root = proofchain.rfc6962_node_hash(l0, l1);

SELECT ok((SELECT proofchain.verify_inclusion(l1, 1, 2, ARRAY[l0], root) FROM t), 'a valid inclusion proof verifies');
SELECT ok((SELECT NOT proofchain.verify_inclusion(l1, 1, 2, ARRAY[l1], root) FROM t), 'a wrong sibling returns false');
SELECT ok((SELECT NOT proofchain.verify_inclusion(l1, 1, 2, ARRAY[l0, l0], root) FROM t), 'a proof of the wrong length returns false');
SELECT ok((SELECT NOT proofchain.verify_inclusion(l1, 1, 2, '{}', root) FROM t), 'an empty proof for a two-leaf tree returns false');
SELECT ok((SELECT proofchain.verify_inclusion(l0, 0, 1, '{}', l0) FROM t), 'a one-leaf tree needs an empty proof');

-- verify_inclusion: malformed arguments.
SELECT throws_ok($$SELECT proofchain.verify_inclusion('\x00', 0, 1, '{}', (SELECT l0 FROM t))$$, '22023', NULL,
                 'verify_inclusion: a leaf hash of 1 byte raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_inclusion(l0, 0, 1, '{}', '\x0102') FROM t$$, '22023', NULL,
                 'verify_inclusion: a root hash that is not 32 bytes raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_inclusion(l0, 1, 2, ARRAY['\x01'::bytea], root) FROM t$$, '22023', NULL,
                 'verify_inclusion: a proof hash that is not 32 bytes raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_inclusion(l0, 2, 2, ARRAY[l1], root) FROM t$$, '22023', NULL,
                 'verify_inclusion: leaf_index = tree_size raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_inclusion(l0, -1, 2, ARRAY[l1], root) FROM t$$, '22023', NULL,
                 'verify_inclusion: a negative index raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_inclusion(l0, 0, -2, ARRAY[l1], root) FROM t$$, '22023', NULL,
                 'verify_inclusion: a negative tree size raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_inclusion(l0, 0, 0, '{}', root) FROM t$$, '22023', NULL,
                 'verify_inclusion: tree size 0 raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_inclusion(l0, 0, 2, array_fill(l1, ARRAY[65]), root) FROM t$$, '22023', NULL,
                 'verify_inclusion: 65 proof hashes raise 22023');
SELECT throws_ok($$SELECT proofchain.verify_inclusion(l0, 0, 2, ARRAY[NULL::bytea], root) FROM t$$, '22004', NULL,
                 'verify_inclusion: a NULL proof element raises 22004');
SELECT throws_ok($$SELECT proofchain.rfc6962_node_hash('\x00', '\x00')$$, '22023', NULL,
                 'rfc6962_node_hash: hashes that are not 32 bytes raise 22023');

-- verify_consistency.
SELECT ok((SELECT proofchain.verify_consistency(1, 2, l0, root, ARRAY[l1]) FROM t), 'a valid consistency proof verifies');
SELECT ok((SELECT NOT proofchain.verify_consistency(1, 2, l1, root, ARRAY[l1]) FROM t), 'a wrong old root returns false');
SELECT ok((SELECT proofchain.verify_consistency(2, 2, root, root, '{}') FROM t), 'equal sizes with equal roots and no proof verify');
SELECT throws_ok($$SELECT proofchain.verify_consistency(3, 2, root, root, '{}') FROM t$$, '22023', NULL,
                 'verify_consistency: old_size > new_size raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_consistency(-1, 2, root, root, '{}') FROM t$$, '22023', NULL,
                 'verify_consistency: a negative size raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_consistency(1, 2, '\x00', root, ARRAY[l1]) FROM t$$, '22023', NULL,
                 'verify_consistency: an old root that is not 32 bytes raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_consistency(1, 2, l0, root, array_fill(l1, ARRAY[65])) FROM t$$, '22023', NULL,
                 'verify_consistency: 65 proof hashes raise 22023');
SELECT throws_ok($$SELECT proofchain.verify_consistency(1, 2, l0, root, ARRAY[NULL::bytea]) FROM t$$, '22004', NULL,
                 'verify_consistency: a NULL proof element raises 22004');

-- Checkpoints.
SELECT results_eq($$SELECT origin, tree_size, encode(root_hash, 'base64'), extensions,
                           signatures -> 0 ->> 'name', signatures -> 0 ->> 'key_id'
                      FROM proofchain.parse_checkpoint(E'example.com/log\n5\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\nTimestamp: 1\n\n\u2014 example.com/log AAAAAGZha2U=\n')$$,
                  $$VALUES ('example.com/log', 5::bigint, 'bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=', ARRAY['Timestamp: 1'],
                            'example.com/log', '00000000')$$,
                  'parse_checkpoint returns origin, size, root, extension lines and signatures');
SELECT throws_ok($$SELECT * FROM proofchain.parse_checkpoint(E'example.com/log\n5\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\u2014 example.com/log AAAAAGZha2U=\n')$$,
                 '22023', NULL, 'parse_checkpoint: a note without the blank line raises 22023');
SELECT throws_ok($$SELECT * FROM proofchain.parse_checkpoint(E'example.com/log\n05\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n\u2014 example.com/log AAAAAGZha2U=\n')$$,
                 '22023', NULL, 'parse_checkpoint: a size with a leading zero raises 22023');
SELECT throws_ok($$SELECT * FROM proofchain.parse_checkpoint(E'example.com/log\n5\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n\u2014 example.com/log !!notbase64!!\n')$$,
                 '22P02', NULL, 'parse_checkpoint: a signature that is not base64 raises 22P02');
SELECT throws_ok($$SELECT * FROM proofchain.parse_checkpoint('garbage')$$, '22023', NULL,
                 'parse_checkpoint: garbage raises 22023');
SELECT throws_ok($$SELECT * FROM proofchain.parse_checkpoint('')$$, '22023', NULL,
                 'parse_checkpoint: an empty note raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_checkpoint(E'o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n\u2014 o AAAAAGZha2U=\n', 'not a vkey')$$,
                 '22023', NULL, 'verify_checkpoint: a malformed vkey raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_checkpoint(E'o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n\u2014 o AAAAAGZha2U=\n', 'o+00000000+CQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')$$,
                 '22023', NULL, 'verify_checkpoint: an unknown key type raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_checkpoint(E'o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n\u2014 o AAAAAGZha2U=\n', 'o', 'not a pem')$$,
                 '22P02', NULL, 'verify_checkpoint: an undecodable PEM raises 22P02');
SELECT throws_ok($$SELECT proofchain.verify_checkpoint('no note here', 'o', 'not a pem')$$,
                 '22023', NULL, 'verify_checkpoint: an unparseable note raises 22023');

-- DSSE.
SELECT is(proofchain.dsse_pae('', ''), convert_to('DSSEv1 0  0 ', 'UTF8'), 'dsse_pae of empty type and payload');
SELECT is(proofchain.dsse_pae('t', '\xff'), '\x44535345763120312074203120ff'::bytea, 'dsse_pae counts bytes, not characters');
SELECT throws_ok($$SELECT proofchain.verify_dsse('{"payloadType": "t", "payload": "e30=", "signatures": [{"sig": "AA=="}]}', 'not a pem')$$,
                 '22P02', NULL, 'verify_dsse: an undecodable PEM raises 22P02');
SELECT throws_ok($$SELECT proofchain.verify_dsse('{"payloadType": "t", "payload": "***", "signatures": [{"sig": "AA=="}]}', 'x')$$,
                 '22P02', NULL, 'verify_dsse: a payload that is not base64 raises 22P02');
SELECT throws_ok($$SELECT proofchain.verify_dsse('{"payload": "e30=", "signatures": [{"sig": "AA=="}]}', 'x')$$,
                 '22023', NULL, 'verify_dsse: an envelope without payloadType raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_dsse('{"payloadType": "t", "payload": "e30=", "signatures": []}', 'x')$$,
                 '22023', NULL, 'verify_dsse: an envelope without signatures raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_dsse('[1, 2]', 'x')$$, '22023', NULL,
                 'verify_dsse: an envelope that is not an object raises 22023');

-- Canonical JSON and content ids.
SELECT is(proofchain.canonical_json('{"b": [1.50, 2e2, -0.0], "a": "\u20ac"}'), '{"a":"€","b":[1.5,200,0]}',
          'canonical_json sorts keys and rewrites numbers as RFC 8785 says');
SELECT is(proofchain.content_id('{"x": 1, "y": 2}'), proofchain.content_id(E'{\n  "y": 2,\n  "x": 1\n}'),
          'content_id ignores key order and whitespace');
SELECT isnt(proofchain.content_id('{"x": 1}'), proofchain.content_id('{"x": 2}'), 'content_id differs for different values');
SELECT matches(proofchain.content_id('{}'), '^sha256:[0-9a-f]{64}$', 'content_id is sha256: and 64 hex digits');
SELECT throws_ok($$SELECT proofchain.canonical_json('{"a": ')$$, '22P02', NULL, 'canonical_json: truncated JSON raises 22P02');
SELECT throws_ok($$SELECT proofchain.canonical_json('{"a": 1, "a": 2}')$$, '22023', NULL, 'canonical_json: duplicate keys raise 22023');
SELECT throws_ok($$SELECT proofchain.canonical_json('[1e400]')$$, '22023', NULL, 'canonical_json: a number out of double range raises 22023');
SELECT throws_ok($$SELECT proofchain.content_id('NaN')$$, '22P02', NULL, 'content_id: NaN is not JSON (22P02)');

-- verify_tlog_entry: structurally malformed input raises; a foreign log is unverified.
SELECT throws_ok($$SELECT proofchain.verify_tlog_entry('{}', '{"tlogs": []}')$$, '22023', NULL,
                 'verify_tlog_entry: an empty entry raises 22023');
SELECT throws_ok($$SELECT proofchain.verify_tlog_entry('[]', '{"tlogs": []}')$$, '22023', NULL,
                 'verify_tlog_entry: an entry that is not an object raises 22023');

SELECT * FROM finish();
ROLLBACK;
