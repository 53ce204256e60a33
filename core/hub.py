"""Facts about the real Hub that several layers need to read its data right."""

# The Hub gives repos created before it recorded creation times one of two placeholder dates
# instead of a real one. Recorded model_info bodies (../shared/realdata/hfhub_cassettes) carry
# the :05 form 36 times and the :04 form 10 times; both mean "created on an unknown date".
PLACEHOLDER_CREATED_AT = ("2022-03-02T23:29:04.000Z", "2022-03-02T23:29:05.000Z")
