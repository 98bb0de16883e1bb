# A cell ending with `;` hides its display; the call still runs.
# expect: same
# %%
log = []
log.append("ran");
# %%
print(log)
