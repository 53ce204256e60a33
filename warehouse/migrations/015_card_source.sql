-- Where each card came from: fetched from the Hub, or taken from the public daily card dump.
-- Cards loaded before this migration were all fetched from the Hub.
ALTER TABLE core.cards ADD COLUMN source VARCHAR DEFAULT 'hub';
UPDATE core.cards SET source = 'hub' WHERE source IS NULL;
COMMENT ON COLUMN core.cards.source IS 'Where the text came from: hub (README.md fetched at the sha) or dump@<commit> (the daily card dump dataset at that commit, taken only where the repo had not changed since the dump; see miners/bootstrap.py).';
