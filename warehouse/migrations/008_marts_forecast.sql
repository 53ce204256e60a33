-- Forecast marts: adoption series of base models (derivatives by month since release), their
-- Wang–Song–Barabási fits with diagnostics and forecasts, and backtests against simple baselines.
-- Built by analysis/forecast/marts.py after the lineage marts; series whose input did not change keep
-- their fit.
CREATE SCHEMA IF NOT EXISTS marts;

-- marts.forecast_series ---------------------------------------------------------------------------
-- Grain: one row per fitted series (base model x relation) per complete month since release.
-- Checks: (base_model_id, relation, t) unique; t = 1..n_months of the series without gaps;
-- cumulative never decreases along t.
CREATE TABLE marts.forecast_series (
    base_model_id VARCHAR NOT NULL,
    relation      VARCHAR NOT NULL,
    t             INTEGER NOT NULL,
    cumulative    BIGINT NOT NULL,
    PRIMARY KEY (base_model_id, relation, t)
);
COMMENT ON TABLE marts.forecast_series IS 'Adoption series the forecaster fitted: cumulative direct derivatives of a base model at the end of each complete month since its release, per relation and all together.';
COMMENT ON COLUMN marts.forecast_series.base_model_id IS 'Repo id of the base model (a declared parent; may be absent from the snapshot).';
COMMENT ON COLUMN marts.forecast_series.relation IS 'adapter, finetune, merge, quantized, or all (every relation together).';
COMMENT ON COLUMN marts.forecast_series.t IS 'Months since release (a month = 365.25/12 days); month t ends t months after release_at.';
COMMENT ON COLUMN marts.forecast_series.cumulative IS 'Derivatives created before the end of month t (children with an unknown or placeholder createdAt left out).';

-- marts.forecast_fits -----------------------------------------------------------------------------
-- Grain: one row per series with at least 10 derivatives: base models with >= 10 direct derivatives
-- (relation all), and each of their relations with >= 10. Checks: (base_model_id, relation) unique;
-- converged = (reason IS NULL); lambda, mu, sigma, m NULL exactly when the series was not fitted;
-- c_inf set only when converged; forecast_model = 'wsb' exactly when converged, 'linear' for the other
-- series that passed the input checks, NULL (no forecast) for the rest;
-- forecast_h12_low <= forecast_h12 <= forecast_h12_high where all three are set.
CREATE TABLE marts.forecast_fits (
    base_model_id     VARCHAR NOT NULL,
    relation          VARCHAR NOT NULL,
    input_key         VARCHAR NOT NULL,
    as_of             TIMESTAMPTZ,
    release_at        TIMESTAMPTZ,
    release_source    VARCHAR NOT NULL,
    n_months          INTEGER NOT NULL,
    derivatives_now   BIGINT NOT NULL,
    size_class        VARCHAR NOT NULL,
    "lambda"          DOUBLE,
    mu                DOUBLE,
    sigma             DOUBLE,
    m                 DOUBLE,
    m_mode            VARCHAR NOT NULL,
    converged         BOOLEAN NOT NULL,
    reason            VARCHAR,
    r2_log            DOUBLE,
    rmse_log          DOUBLE,
    se_lambda         DOUBLE,
    se_mu             DOUBLE,
    se_sigma          DOUBLE,
    se_log_m          DOUBLE,
    dispersion        DOUBLE,
    starts            INTEGER NOT NULL,
    starts_agreeing   INTEGER NOT NULL,
    c_inf             DOUBLE,
    forecast_model    VARCHAR,
    forecast_h3       DOUBLE,
    forecast_h3_low   DOUBLE,
    forecast_h3_high  DOUBLE,
    forecast_h6       DOUBLE,
    forecast_h6_low   DOUBLE,
    forecast_h6_high  DOUBLE,
    forecast_h12      DOUBLE,
    forecast_h12_low  DOUBLE,
    forecast_h12_high DOUBLE,
    PRIMARY KEY (base_model_id, relation)
);
COMMENT ON TABLE marts.forecast_fits IS 'Wang–Song–Barabási fit c(t) = m(exp(λΦ((ln t − μ)/σ)) − 1) of each adoption series with >= 10 derivatives: parameters, convergence diagnostics, fit quality, standard errors, ultimate impact and forecasts with 80% intervals.';
COMMENT ON COLUMN marts.forecast_fits.base_model_id IS 'Repo id of the base model.';
COMMENT ON COLUMN marts.forecast_fits.relation IS 'adapter, finetune, merge, quantized or all.';
COMMENT ON COLUMN marts.forecast_fits.input_key IS 'Hash of the series, its release time and the fitter version: an unchanged key keeps its fit on the next run.';
COMMENT ON COLUMN marts.forecast_fits.as_of IS 'Time of the model listing the series was counted from (the run that last changed the series).';
COMMENT ON COLUMN marts.forecast_fits.release_at IS 'Start of month 1: the base model''s createdAt, or its first derivative''s when that is earlier or the base''s date is unknown.';
COMMENT ON COLUMN marts.forecast_fits.release_source IS 'base_created or first_derivative: where release_at came from.';
COMMENT ON COLUMN marts.forecast_fits.n_months IS 'Complete months since release (points of the series).';
COMMENT ON COLUMN marts.forecast_fits.derivatives_now IS 'Cumulative derivatives at the end of the last complete month (the series'' last value).';
COMMENT ON COLUMN marts.forecast_fits.size_class IS 'Decade of derivatives_now of the relation-all series: 10-99, 100-999, 1000+.';
COMMENT ON COLUMN marts.forecast_fits."lambda" IS 'λ, fitness: how far growth goes (c∞ = m(e^λ − 1)); NULL when not fitted.';
COMMENT ON COLUMN marts.forecast_fits.mu IS 'μ, immediacy: log-months since release at which growth peaks.';
COMMENT ON COLUMN marts.forecast_fits.sigma IS 'σ, longevity: spread of the growth in log-months.';
COMMENT ON COLUMN marts.forecast_fits.m IS 'm, scale, in derivatives; estimated per series (profiled: for the fitted shape, the m that makes the curve meet the current count).';
COMMENT ON COLUMN marts.forecast_fits.m_mode IS 'estimated (always, in the marts) or fixed (a caller-supplied m).';
COMMENT ON COLUMN marts.forecast_fits.converged IS 'True when the solver converged at an interior optimum without a λ blow-up (reason is NULL).';
COMMENT ON COLUMN marts.forecast_fits.reason IS 'Why the fit is not trusted, "; "-separated: solver did not converge, stuck at start, <parameter> at lower/upper bound, parameters not identified, lambda blow-up; or "not fitted: <input problem>". NULL when converged.';
COMMENT ON COLUMN marts.forecast_fits.r2_log IS 'R² of log1p(cumulative) explained by the fitted curve.';
COMMENT ON COLUMN marts.forecast_fits.rmse_log IS 'Root mean squared error of log1p(cumulative).';
COMMENT ON COLUMN marts.forecast_fits.se_lambda IS 'Standard error of λ (quasi-Poisson, from the Jacobian at the optimum); NULL when not identified.';
COMMENT ON COLUMN marts.forecast_fits.se_mu IS 'Standard error of μ.';
COMMENT ON COLUMN marts.forecast_fits.se_sigma IS 'Standard error of σ.';
COMMENT ON COLUMN marts.forecast_fits.se_log_m IS 'Standard error of ln m (shape uncertainty plus the count''s own).';
COMMENT ON COLUMN marts.forecast_fits.dispersion IS 'Quasi-Poisson dispersion of the new derivatives per month (1 = Poisson; larger = burstier).';
COMMENT ON COLUMN marts.forecast_fits.starts IS 'Starting points polished by the solver.';
COMMENT ON COLUMN marts.forecast_fits.starts_agreeing IS 'Of those, how many reached the best loss (within 0.01%).';
COMMENT ON COLUMN marts.forecast_fits.c_inf IS 'Ultimate impact c∞ = m(e^λ − 1): derivatives the curve approaches; set only for converged fits.';
COMMENT ON COLUMN marts.forecast_fits.forecast_model IS 'Model behind the forecast columns: wsb for a converged fit, else linear (recent linear trend with the drift method''s interval); NULL when the series failed its input checks.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3 IS 'Forecast cumulative derivatives 3 months after the last complete month (by forecast_model).';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_low IS 'Lower end (10th percentile) of the 80% prediction interval of forecast_h3.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h3_high IS 'Upper end (90th percentile) of the 80% prediction interval of forecast_h3.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h6 IS 'Forecast 6 months after the last complete month.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h6_low IS 'Lower end of the 80% interval of forecast_h6.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h6_high IS 'Upper end of the 80% interval of forecast_h6.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h12 IS 'Forecast 12 months after the last complete month.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h12_low IS 'Lower end of the 80% interval of forecast_h12.';
COMMENT ON COLUMN marts.forecast_fits.forecast_h12_high IS 'Upper end of the 80% interval of forecast_h12.';

-- marts.forecast_backtest_outcomes ------------------------------------------------------------------
-- Grain: one row per base model (relation all) per horizon per model whose training window (the series
-- up to its last month minus the horizon) passes the input checks. Checks: (base_model_id, horizon,
-- model) unique; horizon in (3, 6, 12); model in (wsb, last, linear, loglinear, bass); origin_t <=
-- target_t - horizon.
CREATE TABLE marts.forecast_backtest_outcomes (
    base_model_id VARCHAR NOT NULL,
    horizon       INTEGER NOT NULL,
    model         VARCHAR NOT NULL,
    size_class    VARCHAR NOT NULL,
    origin_t      DOUBLE NOT NULL,
    target_t      DOUBLE NOT NULL,
    actual        DOUBLE NOT NULL,
    forecast      DOUBLE,
    ape           DOUBLE,
    sape          DOUBLE,
    converged     BOOLEAN,
    in_interval   BOOLEAN,
    PRIMARY KEY (base_model_id, horizon, model)
);
COMMENT ON TABLE marts.forecast_backtest_outcomes IS 'Backtest of each base model''s relation-all series: fitted on its months up to the last minus h, forecast at the last month, by WSB and four baselines.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.base_model_id IS 'Repo id of the base model.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.horizon IS 'h, months between the training window''s end and the forecast month: 3, 6 or 12.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.model IS 'wsb, last (last value), linear (recent trend), loglinear (recent growth rate) or bass (Bass diffusion).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.size_class IS 'Size class of the base model (by its current count).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.origin_t IS 'Last month of the training window.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.target_t IS 'Month forecast (the series'' last).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.actual IS 'Cumulative derivatives observed at target_t.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.forecast IS 'The model''s forecast for target_t; NULL or infinite when it had none.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.ape IS 'Absolute percentage error, 100·|forecast − actual| / actual.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.sape IS 'Symmetric absolute percentage error, 200·|forecast − actual| / (|forecast| + |actual|).';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.converged IS 'wsb and bass: whether the fit on the training window converged; NULL for the other models.';
COMMENT ON COLUMN marts.forecast_backtest_outcomes.in_interval IS 'wsb: whether actual fell inside the 80% prediction interval; NULL for the other models.';

-- User views --------------------------------------------------------------------------------------
CREATE VIEW forecasts AS
SELECT base_model_id, relation, n_months, derivatives_now, size_class, release_at, release_source,
       "lambda", mu, sigma, m, m_mode, converged, reason, r2_log, rmse_log,
       se_lambda, se_mu, se_sigma, se_log_m, dispersion, c_inf, forecast_model,
       forecast_h3, forecast_h3_low, forecast_h3_high, forecast_h6, forecast_h6_low, forecast_h6_high,
       forecast_h12, forecast_h12_low, forecast_h12_high, as_of
FROM marts.forecast_fits;
COMMENT ON VIEW forecasts IS 'One row per base model (relation all) and per relation of it with >= 10 direct derivatives: Wang–Song–Barabási parameters, diagnostics, fit quality, ultimate impact and forecasts 3/6/12 months ahead with 80% intervals (from the WSB curve when it converged, else from the recent linear trend: see forecast_model).';
COMMENT ON COLUMN forecasts.base_model_id IS 'Repo id of the base model.';
COMMENT ON COLUMN forecasts.relation IS 'all (every direct derivative), or adapter, finetune, merge, quantized.';
COMMENT ON COLUMN forecasts.n_months IS 'Complete months since release (points fitted).';
COMMENT ON COLUMN forecasts.derivatives_now IS 'Cumulative derivatives at the end of the last complete month.';
COMMENT ON COLUMN forecasts.size_class IS 'Decade of the base model''s derivatives_now (relation all): 10-99, 100-999, 1000+.';
COMMENT ON COLUMN forecasts.release_at IS 'Start of month 1 (base createdAt, or first derivative when earlier or unknown).';
COMMENT ON COLUMN forecasts.release_source IS 'base_created or first_derivative.';
COMMENT ON COLUMN forecasts."lambda" IS 'λ, fitness.';
COMMENT ON COLUMN forecasts.mu IS 'μ, immediacy (log-months to the growth peak).';
COMMENT ON COLUMN forecasts.sigma IS 'σ, longevity (spread in log-months).';
COMMENT ON COLUMN forecasts.m IS 'm, scale in derivatives (estimated per series).';
COMMENT ON COLUMN forecasts.m_mode IS 'estimated or fixed.';
COMMENT ON COLUMN forecasts.converged IS 'True when the fit converged at an interior optimum without a λ blow-up.';
COMMENT ON COLUMN forecasts.reason IS 'Why not converged, or "not fitted: <reason>"; NULL when converged.';
COMMENT ON COLUMN forecasts.r2_log IS 'R² on log1p(cumulative).';
COMMENT ON COLUMN forecasts.rmse_log IS 'RMSE on log1p(cumulative).';
COMMENT ON COLUMN forecasts.se_lambda IS 'Standard error of λ.';
COMMENT ON COLUMN forecasts.se_mu IS 'Standard error of μ.';
COMMENT ON COLUMN forecasts.se_sigma IS 'Standard error of σ.';
COMMENT ON COLUMN forecasts.se_log_m IS 'Standard error of ln m.';
COMMENT ON COLUMN forecasts.dispersion IS 'Quasi-Poisson dispersion of the monthly counts.';
COMMENT ON COLUMN forecasts.c_inf IS 'Ultimate impact c∞ = m(e^λ − 1); NULL unless the fit converged.';
COMMENT ON COLUMN forecasts.forecast_model IS 'wsb (converged fit) or linear (fallback: recent linear trend); NULL when the series could not be fitted.';
COMMENT ON COLUMN forecasts.forecast_h3 IS 'Forecast cumulative derivatives 3 months ahead.';
COMMENT ON COLUMN forecasts.forecast_h3_low IS '10th percentile of the 3-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h3_high IS '90th percentile of the 3-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h6 IS 'Forecast 6 months ahead.';
COMMENT ON COLUMN forecasts.forecast_h6_low IS '10th percentile of the 6-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h6_high IS '90th percentile of the 6-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h12 IS 'Forecast 12 months ahead.';
COMMENT ON COLUMN forecasts.forecast_h12_low IS '10th percentile of the 12-month forecast.';
COMMENT ON COLUMN forecasts.forecast_h12_high IS '90th percentile of the 12-month forecast.';
COMMENT ON COLUMN forecasts.as_of IS 'Time of the listing the series was counted from.';

CREATE VIEW forecast_ranking AS
SELECT row_number() OVER (ORDER BY forecast_h12 DESC, base_model_id)::INTEGER AS rank,
       base_model_id, derivatives_now, forecast_h12 - derivatives_now AS expected_new_h12, c_inf,
       forecast_h12, forecast_h12_low, forecast_h12_high, forecast_model, converged, reason
FROM marts.forecast_fits
WHERE relation = 'all' AND forecast_h12 IS NOT NULL;
COMMENT ON VIEW forecast_ranking IS 'Base models ranked by the derivatives they are forecast to have 12 months from now (relation all; series that failed their input checks have no forecast and are left out). Ranked on the backtested 12-month horizon rather than on c∞, an extrapolation to infinity that no backtest can check and that exists only for converged fits.';
COMMENT ON COLUMN forecast_ranking.rank IS '1 = most derivatives forecast 12 months ahead.';
COMMENT ON COLUMN forecast_ranking.base_model_id IS 'Repo id of the base model.';
COMMENT ON COLUMN forecast_ranking.derivatives_now IS 'Cumulative derivatives at the end of the last complete month.';
COMMENT ON COLUMN forecast_ranking.expected_new_h12 IS 'Derivatives expected in the next 12 months (forecast_h12 − derivatives_now).';
COMMENT ON COLUMN forecast_ranking.c_inf IS 'Ultimate impact c∞ = m(e^λ − 1); NULL unless converged.';
COMMENT ON COLUMN forecast_ranking.forecast_model IS 'wsb or linear (fallback for fits that did not converge).';
COMMENT ON COLUMN forecast_ranking.forecast_h12 IS 'Forecast cumulative derivatives 12 months ahead.';
COMMENT ON COLUMN forecast_ranking.forecast_h12_low IS '10th percentile of that forecast.';
COMMENT ON COLUMN forecast_ranking.forecast_h12_high IS '90th percentile of that forecast.';
COMMENT ON COLUMN forecast_ranking.converged IS 'Whether the WSB fit converged (see reason otherwise).';
COMMENT ON COLUMN forecast_ranking.reason IS 'Why the fit is not trusted; NULL when converged.';

CREATE VIEW forecast_backtest AS
WITH o AS (
    SELECT horizon, size_class, model, ape, sape, converged, in_interval FROM marts.forecast_backtest_outcomes
    UNION ALL
    SELECT horizon, 'all', model, ape, sape, converged, in_interval FROM marts.forecast_backtest_outcomes
)
SELECT horizon, size_class, model,
       count(ape) FILTER (WHERE isfinite(ape)) AS series,
       avg(ape) FILTER (WHERE isfinite(ape)) AS mape,
       avg(sape) FILTER (WHERE isfinite(sape)) AS smape,
       median(ape) FILTER (WHERE isfinite(ape)) AS median_ape,
       avg(converged::INTEGER) AS converged_share,
       avg(in_interval::INTEGER) AS interval_coverage
FROM o GROUP BY horizon, size_class, model
ORDER BY horizon, size_class <> 'all', size_class,
         list_position(['wsb', 'last', 'linear', 'loglinear', 'bass'], model);
COMMENT ON VIEW forecast_backtest IS 'Backtest errors by horizon, base-model size class (and all) and model: each base model fitted on its months up to the last minus h, forecast at the last; WSB against last value, linear trend, log-linear trend and Bass diffusion on the same series.';
COMMENT ON COLUMN forecast_backtest.horizon IS 'Months ahead: 3, 6 or 12.';
COMMENT ON COLUMN forecast_backtest.size_class IS '10-99, 100-999, 1000+ derivatives now, or all.';
COMMENT ON COLUMN forecast_backtest.model IS 'wsb, last, linear, loglinear or bass.';
COMMENT ON COLUMN forecast_backtest.series IS 'Series with a finite forecast from this model.';
COMMENT ON COLUMN forecast_backtest.mape IS 'Mean absolute percentage error, in percent.';
COMMENT ON COLUMN forecast_backtest.smape IS 'Mean symmetric absolute percentage error, in percent (0..200).';
COMMENT ON COLUMN forecast_backtest.median_ape IS 'Median absolute percentage error, in percent (MAPE is dominated by a few blow-ups; the median is not).';
COMMENT ON COLUMN forecast_backtest.converged_share IS 'wsb and bass: share of training fits that converged.';
COMMENT ON COLUMN forecast_backtest.interval_coverage IS 'wsb: share of actual values inside the 80% prediction interval (0.8 when the intervals are honest).';

CREATE VIEW forecast_series AS
SELECT s.base_model_id, s.relation, s.t,
       f.release_at + to_microseconds((s.t * 365.25 / 12 * 86400e6)::BIGINT) AS month_end,
       s.cumulative, s.cumulative - coalesce(lag(s.cumulative) OVER w, 0) AS new_derivatives
FROM marts.forecast_series s JOIN marts.forecast_fits f USING (base_model_id, relation)
WINDOW w AS (PARTITION BY s.base_model_id, s.relation ORDER BY s.t);
COMMENT ON VIEW forecast_series IS 'The adoption series behind each forecast: cumulative direct derivatives per base model and relation at the end of each complete month since release.';
COMMENT ON COLUMN forecast_series.base_model_id IS 'Repo id of the base model.';
COMMENT ON COLUMN forecast_series.relation IS 'adapter, finetune, merge, quantized or all.';
COMMENT ON COLUMN forecast_series.t IS 'Months since release.';
COMMENT ON COLUMN forecast_series.month_end IS 'End of month t (release_at + t × 365.25/12 days).';
COMMENT ON COLUMN forecast_series.cumulative IS 'Derivatives created before month_end.';
COMMENT ON COLUMN forecast_series.new_derivatives IS 'Derivatives created in month t.';

CREATE VIEW download_series AS
WITH bounds AS (
    SELECT model_id, min(day) AS first_day FROM core.model_counters GROUP BY model_id
), grid AS (
    SELECT b.model_id, b.first_day,
           unnest(range(0, (floor(datediff('day', b.first_day,
                                           (SELECT max(fetched_at)::DATE FROM raw.load_runs WHERE source = 'models'))
                                  / (365.25 / 12)) + 1)::BIGINT)) AS k
    FROM bounds b
), samples AS (
    SELECT model_id, k, (first_day + to_days(round(k * 365.25 / 12)::INTEGER))::DATE AS day FROM grid
)
SELECT s.model_id, (s.k + 1)::INTEGER AS t, s.day,
       datediff('day', m.created_at::DATE, s.day) / (365.25 / 12) AS months_since_created,
       c.downloads AS downloads_30d,
       sum(c.downloads) OVER (PARTITION BY s.model_id ORDER BY s.k) AS cumulative_downloads
FROM samples s
ASOF JOIN core.model_counters c ON c.model_id = s.model_id AND c.day <= s.day
LEFT JOIN models m ON m.model_id = s.model_id AND m.created_at_known;
COMMENT ON VIEW download_series IS 'Monthly download series per model from the daily counter facts: the 30-day download count sampled every 365.25/12 days from the first day the warehouse saw the model up to the latest models load, and their running sum (≈ downloads since then; fits with hubmine forecast, t counted from the first sample).';
COMMENT ON COLUMN download_series.model_id IS 'Repo id.';
COMMENT ON COLUMN download_series.t IS 'Sample number: 1 at the first counter day, then one per month.';
COMMENT ON COLUMN download_series.day IS 'Day sampled (the value is the latest counter row on or before it).';
COMMENT ON COLUMN download_series.months_since_created IS 'Months between the model''s createdAt and day; NULL when createdAt is unknown or a placeholder.';
COMMENT ON COLUMN download_series.downloads_30d IS 'Downloads over the 30 days before day, as the Hub counts them.';
COMMENT ON COLUMN download_series.cumulative_downloads IS 'Running sum of downloads_30d up to this sample (downloads since about 30 days before the first sample).';
