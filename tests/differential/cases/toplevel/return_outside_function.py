# `return` at the top level of a cell is a SyntaxError in the notebook: convert must refuse it.
# expect: refused
# notebook: fails
# %%
value = 1
# %%
if value:
    return
print("unreachable")
