# warnings recorded with catch_warnings(record=True) inside a helper, then counted.
# expect: same
# %%
import warnings
def old_api():
    warnings.warn("deprecated", DeprecationWarning)
    return 1
# %% [markdown]
# ## Call
# %%
def recorded_kinds():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old_api()
        old_api()
    return [w.category.__name__ for w in caught]
kinds = recorded_kinds()
print(kinds)
