# `yield` at the top level of a cell is a SyntaxError in the notebook: convert must refuse it.
# expect: refused
# notebook: fails
# %%
items = [1, 2]
# %%
for item in items:
    yield item
