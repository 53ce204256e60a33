-- A disabled repo (the Hub answers 403 "Access to this resource is disabled.") is a settled status in
-- both miners, not an error retried every run (issue 14).
COMMENT ON COLUMN core.history_fetches.status IS 'ok, disabled (the Hub refuses every request about the repo; asked again only when its listed sha changes) or error.';
COMMENT ON COLUMN core.cards.status IS 'ok (card fetched), missing (no README.md at that sha), repo_missing (repo gone) or disabled (the Hub refuses the repo).';
