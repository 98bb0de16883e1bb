# A markdown cell with a code fence whose lines start with # (not a heading).
# expect: same
# %%
x = 2
# %% [markdown]
# ## Example
#
# ```python
# # this is a comment inside a fence, not a heading
# x = 100
# ```
# %%
print(x * 3)
