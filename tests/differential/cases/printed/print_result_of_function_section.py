# A section both returns a value (read later) and prints it: the print must still appear, in order.
# expect: same
# %%
base = 10
# %% [markdown]
# ## Compute score
# %%
score = base * 3 + 1
print("score", score)
# %% [markdown]
# ## Next
# %%
print("before next")
doubled = score * 2
print("doubled", doubled)
