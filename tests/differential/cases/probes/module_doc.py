# The notebook prints __doc__.
# %%
print(__doc__ is None)
