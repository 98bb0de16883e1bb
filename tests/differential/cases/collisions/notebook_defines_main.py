# The notebook defines and calls its own `main()`; the generated entry point must not replace it.
# expect: same
# %%
def main():
    return "notebook main"
# %% [markdown]
# ## Run
# %%
outcome = main()
print(outcome)
