// The containers page: the box in the table's head selects or clears every container listed.
document.getElementById("select-all")?.addEventListener("change", (ev) => {
	for (const box of document.querySelectorAll('input[name="accession"]')) box.checked = ev.target.checked;
});
