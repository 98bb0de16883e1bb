# `import urllib.request` (no network use): a dotted import binding the package name.
# expect: same
# %%
import urllib.request
# %%
print(urllib.request.pathname2url("a b/c"))
