"""The bottom layer: where hubmine keeps its data and the facts about the Hub that every layer shares."""
