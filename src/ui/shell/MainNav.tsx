import { AREAS, areaHref, type AreaId } from './routes';

export function MainNav({ current }: { current: AreaId }) {
  return (
    <nav className="main-nav" aria-label="Areas">
      <ul>
        {AREAS.map((area) => (
          <li key={area.id}>
            <a href={areaHref(area.id)} aria-current={area.id === current ? 'page' : undefined}>
              {area.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
