# A notebook object shown as a cell's value: IPython calls its _repr_pretty_, which counts.
# %%
class Report:
    shown = 0
    def _repr_pretty_(self, p, cycle):
        Report.shown += 1
        p.text("report")
report = Report()
# %%
report
# %%
print(Report.shown)
