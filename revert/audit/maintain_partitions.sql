-- Revert pgattest:audit/maintain_partitions from pg
-- The v1.1.0 body. Partitions keep the statistics target 0 this change gave them (the
-- previous body does not set it, it does not undo it either).

\ir ../../deploy/audit/maintain_partitions@v1.1.0.sql
