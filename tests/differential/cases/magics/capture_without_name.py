# `%%capture` without a name swallows the cell's prints.
# %%
%%capture
print("should not be shown")
total = 3
# %%
print("total", total)
