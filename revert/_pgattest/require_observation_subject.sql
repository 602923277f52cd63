-- Revert pgattest:_pgattest/require_observation_subject from pg

\ir ../../deploy/_pgattest/require_observation_subject@v1.0.0.sql
