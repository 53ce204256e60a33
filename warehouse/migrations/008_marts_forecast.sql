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
