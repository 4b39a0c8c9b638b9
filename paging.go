package homeward

import (
	"context"
	"iter"
)

// PageSize is the most items a list returns at once (the bound Page.Normalize applies); the walks
// below ask for full pages.
const PageSize = 1000

// Walk yields every item of a list in the list's order, fetching a full page at a time: by the
// list's cursors, so that items added or removed during the walk neither repeat nor shift it, or
// by offsets from a list that gives none. It stops at the first error, which it yields with the
// zero item.
func Walk[T any](fetch func(Page) (List[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		next := Page{Limit: PageSize}
		for {
			l, err := fetch(next)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range l.Items {
				if !yield(it, nil) {
					return
				}
			}
			switch {
			case l.NextCursor != "":
				next = Page{Limit: PageSize, Cursor: l.NextCursor}
			case next.Cursor != "" || len(l.Items) < PageSize:
				return // a list with cursors gives none after its last page
			default:
				next.Offset += PageSize
			}
		}
	}
}

// WalkAfter is Walk for lists paged by id (keyset): fetch returns the page of items whose id is
// above after (0: from the first), in id order, and id names an item's id. Items added or removed
// during the walk neither repeat items nor shift the walk, as offsets would.
func WalkAfter[T any](fetch func(after int64, p Page) (List[T], error), id func(*T) int64) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var after int64
		for {
			l, err := fetch(after, Page{Limit: PageSize})
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for i := range l.Items {
				after = id(&l.Items[i])
				if !yield(l.Items[i], nil) {
					return
				}
			}
			if len(l.Items) < PageSize {
				return
			}
		}
	}
}

// Collect gathers a walk's items, or its error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for it, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// Profiles walks the profiles f selects, by id (f's AfterID and Page are the walk's).
func Profiles(ctx context.Context, dna DNAService, f ProfileFilter) iter.Seq2[Profile, error] {
	return WalkAfter(func(after int64, p Page) (List[Profile], error) {
		f.AfterID, f.Page = after, p
		return dna.ListProfiles(ctx, f)
	}, func(p *Profile) int64 { return p.ID })
}

// ReferenceFamilies walks the families f selects, by id.
func ReferenceFamilies(ctx context.Context, dna DNAService, f FamilyFilter) iter.Seq2[ReferenceFamily, error] {
	return WalkAfter(func(after int64, p Page) (List[ReferenceFamily], error) {
		f.AfterID, f.Page = after, p
		return dna.ListReferenceFamilies(ctx, f)
	}, func(x *ReferenceFamily) int64 { return x.ID })
}

// Specimens walks a container's specimens.
func Specimens(ctx context.Context, cs ContainerService, containerID int64) iter.Seq2[Specimen, error] {
	return Walk(func(p Page) (List[Specimen], error) { return cs.ListSpecimens(ctx, containerID, p) })
}

// Containers walks the containers f selects.
func Containers(ctx context.Context, cs ContainerService, f ContainerFilter) iter.Seq2[Container, error] {
	return Walk(func(p Page) (List[Container], error) {
		f.Page = p
		return cs.ListContainers(ctx, f)
	})
}
