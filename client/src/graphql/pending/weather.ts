// PENDING: the weather/chat API (API.md "Weather alerts and province chat") is not in schema.graphql yet; typed by
// hand from the contract. When it lands: move the documents to src/graphql/weather.graphql, run `npm run codegen`,
// switch imports to ../__generated__/graphql and delete this file.
import { gql, type TypedDocumentNode } from '@apollo/client';
import type { Province } from '../../__generated__/graphql';

export type AlertLevel = 'ADVISORY' | 'WARNING';

export interface WeatherAlertItem {
  id: string;
  province: Province;
  areaName: string;
  kind: string;
  level: AlertLevel;
  issuedAt: string;
  cancelled: boolean;
}

export interface ChatMessageItem {
  id: string;
  roomId: string;
  body: string;
  createdAt: string;
  seq: number;
  author: { id: string; nickname: string } | null;
}

export interface ChatRoomItem {
  id: string;
  province: Province;
  title: string;
  status: 'OPEN' | 'ARCHIVED';
  openedAt: string;
  archivedAt: string | null;
}

const ALERT = 'id province areaName kind level issuedAt cancelled';
const MESSAGE = 'id roomId body createdAt seq author { id nickname }';

export const WeatherOverviewDocument = gql`
  query WeatherOverview($latitude: Float!, $longitude: Float!) {
    currentWeather(latitude: $latitude, longitude: $longitude) {
      observedAt temperatureC humidityPct precipitationMm1h precipitationType windSpeedMs windDirectionDeg
    }
  }
` as TypedDocumentNode<
  { currentWeather: { observedAt: string; temperatureC: number | null; humidityPct: number | null; precipitationMm1h: number | null; precipitationType: string | null; windSpeedMs: number | null; windDirectionDeg: number | null } },
  { latitude: number; longitude: number }
>;

export const AlertsAndRoomsDocument = gql`
  query AlertsAndRooms {
    weatherAlerts(activeOnly: true) { ${ALERT} }
    open: chatRooms(status: OPEN) { id province title status openedAt archivedAt }
    archived: chatRooms(status: ARCHIVED) { id province title status openedAt archivedAt }
  }
` as TypedDocumentNode<{ weatherAlerts: WeatherAlertItem[]; open: ChatRoomItem[]; archived: ChatRoomItem[] }, Record<string, never>>;

export const WeatherAlertIssuedDocument = gql`
  subscription WeatherAlertIssued {
    weatherAlertIssued { ${ALERT} }
  }
` as TypedDocumentNode<{ weatherAlertIssued: WeatherAlertItem }, Record<string, never>>;

export const ChatRoomDocument = gql`
  query ChatRoom($id: ID!, $first: Int, $before: String) {
    chatRoom(id: $id) {
      id province title status openedAt archivedAt
      activeAlerts { ${ALERT} }
      messages(first: $first, before: $before) {
        edges { cursor node { ${MESSAGE} } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
` as TypedDocumentNode<
  {
    chatRoom:
      | (ChatRoomItem & {
          activeAlerts: WeatherAlertItem[];
          messages: { edges: { cursor: string; node: ChatMessageItem }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
        })
      | null;
  },
  { id: string; first?: number; before?: string | null }
>;

export const SendMessageDocument = gql`
  mutation SendMessage($roomId: ID!, $body: String!, $clientMessageId: String) {
    sendMessage(roomId: $roomId, body: $body, clientMessageId: $clientMessageId) { ${MESSAGE} }
  }
` as TypedDocumentNode<{ sendMessage: ChatMessageItem }, { roomId: string; body: string; clientMessageId?: string }>;

export const ChatMessageAddedDocument = gql`
  subscription ChatMessageAdded($roomId: ID!) {
    chatMessageAdded(roomId: $roomId) { ${MESSAGE} }
  }
` as TypedDocumentNode<{ chatMessageAdded: ChatMessageItem }, { roomId: string }>;
