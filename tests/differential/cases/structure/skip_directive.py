# A cell marked `# nbrefactor: skip` still runs in the notebook; if the script leaves it out, it must say so.
# %%
value = 1
# %%
# nbrefactor: skip
value = value + 100
# %%
print(value)
